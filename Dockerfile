# A small image that runs `vejviser build` on the guideline folder mounted at /guideline:
#   docker build -t vejviser .
#   docker run --rm -v "$PWD:/guideline" vejviser            # = vejviser build
#   docker run --rm -v "$PWD:/guideline" vejviser check
# The builder is Alpine's Rust (musl), whose binaries are static; the final image holds only
# that binary.
ARG RUST_VERSION=1.95
FROM rust:${RUST_VERSION}-alpine AS builder
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY . .
RUN cargo build --release --locked --target x86_64-unknown-linux-musl \
    && cp target/x86_64-unknown-linux-musl/release/vejviser /vejviser

FROM scratch
COPY --from=builder /vejviser /usr/local/bin/vejviser
ENV PATH=/usr/local/bin
WORKDIR /guideline
ENTRYPOINT ["vejviser"]
CMD ["build"]
