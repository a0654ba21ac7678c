#!/bin/sh
# vdaf_broken.sh RUNNER FOLDER EXPECTED: the runner must fail every file of FOLDER (crafted test
# vectors that exercise nothing, skip a report's steps, or carry a corrupted share): exit status
# 1 and exactly the lines of EXPECTED, one named FAIL line per file and the closing count.
out=$("$1" "$2")
status=$?
if [ "$status" -ne 1 ]; then
  printf '%s\n' "$out"
  echo "vdaf_broken: exit status $status, expected 1" >&2
  exit 1
fi
printf '%s\n' "$out" | diff -u "$3" - || {
  echo "vdaf_broken: the runner's output differs from $3" >&2
  exit 1
}
