# syntax=docker/dockerfile:1
# Build: docker build -t airlock:dev .
FROM eclipse-temurin:25-jdk AS build
# rustc (and libc6-dev for the static link) builds the in-sandbox agent during the package step
RUN apt-get update && apt-get install -y --no-install-recommends rustc libc6-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -ntp -q dependency:go-offline
COPY src src
COPY agent agent
# the build generates its test client from the OpenAPI snapshot (docs/openapi.json), also with -DskipTests
COPY docs docs
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -ntp -q -DskipTests package \
 && java -Djarmode=tools -jar target/airlock.jar extract --layers --launcher --destination /layers

FROM eclipse-temurin:25-jre
# The in-sandbox agent travels inside the jar (BOOT-INF/classes/agent/airlock-agent): nothing else to install.
RUN groupadd --system --gid 10001 airlock && useradd --system --uid 10001 --gid airlock --home /app airlock
WORKDIR /app
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
# Talking to the Docker socket needs the socket's group; compose/Helm add it (group_add / supplementalGroups).
USER 10001:10001
EXPOSE 8080
# Container-aware sizing: the heap is half the container's memory limit (the rest: metaspace, code, threads, direct
# buffers); G1 gives memory back after a burst (periodic GC when idle); compact object headers (JDK 25) shrink the
# heap. The chart sets the same through its `jvm` values.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+UseG1GC -XX:G1PeriodicGCInterval=30000 -XX:+UseCompactObjectHeaders -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
