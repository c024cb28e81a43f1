"""rq queues, the thin tasks they run, and the embedded Redis server."""
