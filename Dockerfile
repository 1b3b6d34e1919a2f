# Build stage: the same `mvn package` the tests exercise produces target/anilist-mal-sync.jar.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml config.example.yaml ./
COPY src ./src
COPY webroot ./webroot
RUN mvn -B -q -DskipTests package

# Runtime stage: a Java 17 JRE (a jlink-trimmed runtime would save little over the JRE image for a Vert.x app that
# uses java.desktop for the browser hand-off and java.sql for SQLite), a non-root user, the data volume.
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /app app && mkdir -p /app/data && chown -R app /app
WORKDIR /app
COPY --from=build /src/target/anilist-mal-sync.jar /app/anilist-mal-sync.jar
USER app
VOLUME /app/data
EXPOSE 8080 18080
# Small-container JVM flags; the benchmark (bench/Benchmark.JVM_FLAGS and JVM_ENV, which a test holds equal to these
# lines) and the integration tests run the jar with the same ones. BENCHMARKS.md, "Footprint", says what each buys:
# a small starting heap that shrinks again after a sync (the service collects once after each full sync), one
# compiler tier, small thread stacks, two malloc arenas.
ENV MALLOC_ARENA_MAX=2
ENV JAVA_OPTS="-XX:+UseSerialGC -Xss512k -XX:TieredStopAtLevel=1 -Xms8m -Xmx64m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:ReservedCodeCacheSize=16m -XX:CICompilerCount=1 -XX:MaxDirectMemorySize=16m -Dio.netty.allocator.numDirectArenas=1 -Dio.netty.allocator.numHeapArenas=1"
# No archive of the app's classes (-XX:ArchiveClassesAtExit from a training start): measured, it cost 10 MB of RSS
# for 0.3 s of start-up; the JDK's own class-data archive is used as always.
# Liveness only: a service waiting for its config or a sign-in is alive, not broken. bash's /dev/tcp needs no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080 && printf "GET /health/live HTTP/1.0\r\n\r\n" >&3 && head -1 <&3 | grep -q " 200 "'
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/anilist-mal-sync.jar \"$@\"", "--"]
CMD ["run", "--data-dir", "/app/data"]
