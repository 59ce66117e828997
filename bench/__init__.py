"""The benchmark harness (`make bench`). Not tests: it measures; see bench/README.md."""
