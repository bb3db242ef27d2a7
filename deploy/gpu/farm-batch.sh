#!/usr/bin/env bash
# Step 4 of check.sh: a real standalone farm (embedded Kafka, PostgreSQL, S3, the API and one
# in-process worker on the default device, i.e. the GPU under a CUDA libtorch) renders a batch of 8
# tiny jobs submitted over HTTP; every job must succeed.   farm-batch.sh JAVA CLASSPATH OUTDIR
set -euo pipefail
java="$1"; cp="$2"; out="$3"
data="$out/standalone"; rm -rf "$data"
port=$(( 20000 + RANDOM % 20000 ))
"$java" -Xmx8g -Dai.djl.offline=true -cp "$cp" io.cascadefarm.cli.FarmCommand standalone \
  --data-dir "$data" --port "$port" --kafka-port 0 --postgres-port 0 --s3-port 0 --workers 1 --model tiny \
  > "$out/standalone.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
for _ in $(seq 1 240); do
  curl -sf "http://127.0.0.1:$port/readyz" > /dev/null 2>&1 && grep -q "is running" "$out/standalone.log" && break
  sleep 1
done
body='{"defaults":{"model":"tiny","width":256,"height":256},"jobs":['
for i in 0 1 2 3 4 5 6 7; do body+="{\"prompt\":\"check $i\",\"seed\":$i}"; [[ $i -lt 7 ]] && body+=","; done
body+=']}'
batch=$(curl -sf -X POST "http://127.0.0.1:$port/v1/batches" -H 'Content-Type: application/json' -d "$body" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
echo "batch $batch"
for _ in $(seq 1 300); do
  counts=$(curl -sf "http://127.0.0.1:$port/v1/batches/$batch")
  echo "$counts" | grep -q '"succeeded":8' && { echo "$counts"; exit 0; }
  echo "$counts" | grep -q '"failed":[1-9]' && { echo "$counts"; exit 1; }
  sleep 1
done
echo "timed out: $counts"; exit 1
