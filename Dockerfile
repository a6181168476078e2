# Builds the leadstream binary (engine and load generator) for docker-compose.yml.
FROM rust:1.89-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends cmake && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin leadstream

FROM debian:bookworm-slim
COPY --from=build /src/target/release/leadstream /usr/local/bin/leadstream
COPY config/leadstream.toml /etc/leadstream/leadstream.toml
EXPOSE 9464
ENTRYPOINT ["leadstream"]
CMD ["run", "--config", "/etc/leadstream/leadstream.toml"]
