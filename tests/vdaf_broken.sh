#!/bin/sh
# vdaf_broken.sh EXPECTED FOLDER RUNNER [ARG...]: the runner (RUNNER ARG... FOLDER) must fail
# every file of FOLDER (crafted test vectors that exercise nothing, skip a report's steps, carry
# a corrupted share or a parameter out of range): exit status 1 and exactly the lines of
# EXPECTED, one named FAIL line per file and the closing count.
expected=$1
folder=$2
shift 2
out=$("$@" "$folder")
status=$?
if [ "$status" -ne 1 ]; then
  printf '%s\n' "$out"
  echo "vdaf_broken: exit status $status, expected 1" >&2
  exit 1
fi
printf '%s\n' "$out" | diff -u "$expected" - || {
  echo "vdaf_broken: the runner's output differs from $expected" >&2
  exit 1
}
