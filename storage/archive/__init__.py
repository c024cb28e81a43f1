"""The archive: sealed BagIt packages with a replica, fixity, retention, disposal and access."""
