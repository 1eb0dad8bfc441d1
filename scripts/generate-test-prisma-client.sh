#!/usr/bin/env bash
# Regenerates the Prisma client the tests use (test/support/prisma/generated) from its schema.
# `prisma generate` wants to download its schema engine, which generating a client does not need:
# PRISMA_SCHEMA_ENGINE_BINARY points it at a harmless executable instead (see FACTS: offline here).
set -euo pipefail
cd "$(dirname "$0")/.."
PRISMA_SCHEMA_ENGINE_BINARY="${PRISMA_SCHEMA_ENGINE_BINARY:-/bin/true}" \
  node_modules/.bin/prisma generate --schema test/support/prisma/schema.prisma
