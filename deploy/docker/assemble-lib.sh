#!/usr/bin/env bash
# Copies what one image runs into OUT: OUT/farm-cli.jar and OUT/lib/<jar> for exactly the jars the
# build listed for that image (cli/target/image/<image>.classpath, written by `./mvnw package` in
# cli; see cli/pom.xml). The Dockerfiles call it in their build stage; DeployImagesTest calls it
# too and starts the result.
#   deploy/docker/assemble-lib.sh dispatcher|worker-cpu|worker-gpu OUT
set -euo pipefail
image="${1:?usage: assemble-lib.sh dispatcher|worker-cpu|worker-gpu OUT}"
out="${2:?usage: assemble-lib.sh dispatcher|worker-cpu|worker-gpu OUT}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
list="$root/cli/target/image/$image.classpath"
[[ -f "$list" ]] || { echo "no $list: build first (./mvnw -B -ntp install -DskipTests -pl cli -am)" >&2; exit 1; }
mkdir -p "$out/lib"
cp "$root/cli/target/farm-cli.jar" "$out/farm-cli.jar"
tr ':' '\n' < "$list" | while read -r entry; do
  [[ -n "$entry" ]] || continue
  cp "$root/cli/target/$entry" "$out/lib/"
done
echo "$image: $(ls "$out/lib" | wc -l) jars, $(du -sm "$out" | cut -f1) MiB in $out" >&2
