"""Signing's use cases, the only modules of signing/ that open the database: each loads
what it needs in a transaction, calls the pure modules of signing/ (plan, batch, remote,
verification) with plain data, and records what came back. Tasks, commands and routes
call one function here. Submodules import only what their use case needs: a digitizing
worker asks for the clerk's signature (flow.clerk) without loading pyHanko."""
