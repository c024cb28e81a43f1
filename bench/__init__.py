"""sohoa's benchmark suite: each part measures sohoa against a named baseline in the same run."""
