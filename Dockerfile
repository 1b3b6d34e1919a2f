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
# Small-container JVM flags (peak RSS under 150 MB at 5,000 entries per list); the benchmark and the integration
# tests run the jar with the same ones.
ENV JAVA_OPTS="-XX:+UseSerialGC -Xss512k -XX:TieredStopAtLevel=1 -Xmx64m -XX:ReservedCodeCacheSize=16m -XX:CICompilerCount=1 -XX:MaxDirectMemorySize=16m -Dio.netty.allocator.numDirectArenas=1 -Dio.netty.allocator.numHeapArenas=1"
# Class-data sharing: a training start of the demo records the classes the service loads into an archive, which
# every later start maps instead of loading them again (the benchmark measures the difference). The JVM ignores an
# archive it cannot use, so a bad one costs start-up time, never a start.
RUN bash -c 'java $JAVA_OPTS -XX:ArchiveClassesAtExit=/app/app.jsa -jar /app/anilist-mal-sync.jar demo --data-dir /tmp/training --port 8080 & \
    pid=$!; for i in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/8080) 2>/dev/null && break; sleep 0.2; done; \
    kill $pid; wait $pid; rm -rf /tmp/training; [ -s /app/app.jsa ] || echo "no class-data archive was recorded: the service starts without one"'
ENV JAVA_OPTS="$JAVA_OPTS -XX:SharedArchiveFile=/app/app.jsa"
# Liveness only: a service waiting for its config or a sign-in is alive, not broken. bash's /dev/tcp needs no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080 && printf "GET /health/live HTTP/1.0\r\n\r\n" >&3 && head -1 <&3 | grep -q " 200 "'
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/anilist-mal-sync.jar \"$@\"", "--"]
CMD ["run", "--data-dir", "/app/data"]
