"""A development set built from real speech found in installed packages, plus simulated conversations
made from its utterances; see benchmarks/devset/README.md."""
