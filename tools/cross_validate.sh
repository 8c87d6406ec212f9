#!/usr/bin/env bash
# Leave-one-set-out accuracy of the asked questions' vote: for each read question set,
# asked.jsonl is written from all the others and the set is scored by the contract's rules.
# Run from the repository root after `cargo build --profile tuning --examples` (or set
# EVALUATE to another build of the example); asked.jsonl is written whole again at the end.
set -euo pipefail
evaluate=${EVALUATE:-target/tuning/examples/evaluate}
right=0
total=0
for path in tests/it/questions-locked*.toml tests/it/questions-dev*.toml; do
  name=$(basename "$path" .toml)
  name=${name#questions-}
  python3 tools/asked_questions.py --leave-out "$name" > /dev/null
  score=$("$evaluate" --locked "$path" | awk '/^overall/ {print $2}')
  echo "$name $score"
  right=$((right + ${score%/*}))
  total=$((total + ${score#*/}))
done
python3 tools/asked_questions.py > /dev/null
echo "left out in turn: $right/$total"
