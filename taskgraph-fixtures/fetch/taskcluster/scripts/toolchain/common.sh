# Shared by the toolchain scripts.
build_protoc() {
  echo "building protoc $*"
}
