# syntax=docker/dockerfile:1

# The Boardcast server image: the GraphQL server, serving the web client at "/".
#
#   docker build -t boardcast .
#   docker run --rm -p 8080:8080 boardcast    # local try-out: embedded PostgreSQL in /data
#
# Built with the Maven wrapper (JDK 17, the release the code targets; Node for the web module);
# runs on JRE 25, which starts the app from an AOT cache (JEP 483/514: classes already loaded
# and linked) produced by a training run below. Cloud Run (terraform/) and compose.yaml
# configure it through the environment only.

# Node's image with Temurin's JDK 17 copied in: the web module runs npm inside the Maven build.
FROM node:22-bookworm AS build
ENV JAVA_HOME=/opt/java/openjdk
ENV PATH="${JAVA_HOME}/bin:${PATH}"
COPY --from=eclipse-temurin:17-jdk ${JAVA_HOME} ${JAVA_HOME}
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
COPY schema/ schema/
COPY web/ web/
COPY app/ app/
# Cache mounts keep Maven's and npm's downloads between builds without putting them in a layer.
RUN --mount=type=cache,target=/root/.m2 --mount=type=cache,target=/root/.npm \
    ./mvnw -B -DskipTests package \
    && java -Djarmode=tools -jar app/target/*.jar extract \
        --layers --destination /extracted --application-filename application.jar

FROM eclipse-temurin:25-jre
RUN groupadd --system --gid 10001 boardcast \
    && useradd --system --uid 10001 --gid boardcast --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin boardcast \
    && install -d -o boardcast -g boardcast /data
WORKDIR /application
# Least-changing layers first: a code change rebuilds only the last one.
COPY --from=build /extracted/dependencies/ ./
COPY --from=build /extracted/spring-boot-loader/ ./
COPY --from=build /extracted/snapshot-dependencies/ ./
COPY --from=build /extracted/application/ ./

# Training run (deploy/aot-training.sh): start the app, send it a few real requests (a
# development token, mutations, the board query, errors), stop it with SIGTERM; the JVM writes
# app.aot as it exits. The cache then holds the classes of the request path (security, GraphQL
# execution, R2DBC, Jackson) and their method profiles, not only those of the context start:
# the first query after a start costs less (bench/startup.sh measures exactly this run). With no
# database configured the app starts its embedded PostgreSQL (Flyway over JDBC, R2DBC) and
# stops it at shutdown, so no service is needed at build time; binaries and data are under
# /tmp/training, removed afterwards. Production's Redis and external issuer classes are not in
# the cache: they load from the jar as usual. The cache is valid only for this JVM, class path
# and --enable-native-access, which is why it is made here, in the runtime image.
COPY deploy/aot-training.sh /usr/local/bin/aot-training
RUN BOARDCAST_DATA_DIR=/tmp/training \
        aot-training java -XX:AOTCacheOutput=app.aot --enable-native-access=ALL-UNNAMED \
            -Djava.io.tmpdir=/tmp/training -jar application.jar \
    && test -s app.aot \
    && rm -rf /tmp/training /tmp/hsperfdata_*

USER boardcast
# Only used when no database is configured (a local try-out); production sets SPRING_R2DBC_URL.
ENV BOARDCAST_DATA_DIR=/data
EXPOSE 8080
# Exec form: the JVM is PID 1 and receives SIGTERM itself, so graceful shutdown runs.
# The heap is 70% of the container's memory; the GC is the JVM's choice for the container
# (SerialGC below 2 CPUs or 1792 MB, e.g. Cloud Run's default 1 vCPU / 1 GiB: the smallest RSS,
# about 245 MB after start; G1 above).
ENTRYPOINT ["java", "-XX:AOTCache=app.aot", "-XX:MaxRAMPercentage=70", "--enable-native-access=ALL-UNNAMED", "-jar", "application.jar"]
