#!/bin/sh
# Builds protoc from $MOZ_FETCHES_DIR/protocols into $UPLOAD_DIR.
set -e
. "$(dirname "$0")/common.sh"
build_protoc "$@"
