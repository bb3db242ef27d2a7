#!/usr/bin/env bash
# Prepares what must travel to a GPU machine that has PyTorch (CUDA), CMake, ninja and nvcc but no
# JVM and no network, in carries of at most 64 MiB each:
#   deploy/gpu/pack.sh [DJL_MIRROR_GIT_DIR]      -> deploy/gpu/out/pack/ and out/carry-N.tar.xz
# Contents: runtime/ (a jlink'd Java 17 with JNI headers), farm-cli.jar + lib/ (the worker-gpu class
# path minus what the check does not load), parity/ (the fixtures), check.sh, farm-batch.sh,
# build-jni.sh, and djl-jni-src/ (DJL 0.36's PyTorch JNI sources and its generated JNI header, taken
# from a DJL checkout at pack time, never committed). Prints every size. See deploy/gpu/README.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$here/out/pack"; rm -rf "$out"; mkdir -p "$out"
mirror="${1:-${DJL_MIRROR:-}}"
jdk="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
# 1. runtime: only the modules the farm needs (measured with jdeps on the class path)
modules=java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,java.security.jgss,java.security.sasl,jdk.httpserver,jdk.unsupported,jdk.crypto.ec,jdk.management,jdk.zipfs,java.instrument,java.scripting,jdk.naming.dns
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --compress=2 --output "$out/runtime"
cp -r "$jdk/include" "$out/runtime/include"   # jni.h, linux/jni_md.h for build-jni.sh
# 2. jars: the GPU worker's class path minus ONNX Runtime (face filter only), Testcontainers and
#    docker-java (tests with a Docker engine only)
"$root/deploy/docker/assemble-lib.sh" worker-gpu "$out" > /dev/null 2>&1
rm -f "$out"/lib/onnxruntime-*.jar "$out"/lib/testcontainers-*.jar "$out"/lib/docker-java-*.jar "$out"/lib/duct-tape-*.jar
# 3. fixtures and scripts
mkdir -p "$out/parity"
cp "$root"/cascade/src/test/resources/parity/*.json "$root"/cascade/src/test/resources/parity/*.safetensors "$out/parity/"
cp "$here/check.sh" "$here/farm-batch.sh" "$here/build-jni.sh" "$out/"
# 4. DJL's JNI sources for build-jni.sh (from a DJL git dir, e.g. the fetched mirror)
if [[ -n "$mirror" ]]; then
  src="$out/djl-jni-src"; mkdir -p "$src"
  git --git-dir="$mirror" archive v0.36.0 engines/pytorch/pytorch-native api/src/main/native engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java | tar -x -C "$src"
  mkdir -p "$src/classes" "$src/engines/pytorch/pytorch-native/build/include"
  "$jdk/bin/javac" -h "$src/engines/pytorch/pytorch-native/build/include" -d "$src/classes" \
    -cp "$out/lib/*" "$src/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java"
  rm -rf "$src/classes"
fi
# 5. carries of at most 60 MiB each (xz), to unpack in order into one directory on the GPU machine
( cd "$out" && find . -type f | sort > "$here/out/files.txt" )
echo "sizes (MiB): runtime $(du -sm "$out/runtime" | cut -f1), lib $(du -sm "$out/lib" | cut -f1), parity $(du -sm "$out/parity" | cut -f1), djl-jni-src $(du -sm "$out/djl-jni-src" 2>/dev/null | cut -f1 || echo 0), total $(du -sm "$out" | cut -f1)"
rm -f "$here"/out/carry-*.tar.xz
( cd "$out" && tar -cf - . | xz -T2 -6 | split -b 60M -d - "$here/out/carry-" )
for f in "$here"/out/carry-*; do mv "$f" "$f.tar.xz.part"; done
ls -l "$here"/out/carry-* | awk '{printf "%s %.1f MiB\n", $NF, $5/1048576}'
