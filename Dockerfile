# Build stage: the same `mvn package` the tests exercise produces target/anilist-mal-sync.jar.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml config.example.yaml ./
COPY src ./src
COPY webroot ./webroot
RUN mvn -B -q -DskipTests package

# Runtime stage: a small Java 17 runtime, a non-root user, the data volume.
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /app app && mkdir -p /app/data && chown -R app /app
WORKDIR /app
COPY --from=build /src/target/anilist-mal-sync.jar /app/anilist-mal-sync.jar
USER app
VOLUME /app/data
EXPOSE 8080 18080
ENV JAVA_OPTS="-XX:+UseSerialGC -Xss512k -XX:MaxRAM=256m -XX:MaxRAMPercentage=60 -XX:TieredStopAtLevel=1"
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/anilist-mal-sync.jar \"$@\"", "--"]
CMD ["run", "--data-dir", "/app/data"]
