-- Blobs of the state database (blobs.backend=database) whose rows do not add up to their size or do not hash to
-- their SHA-256 (their name): one line per damaged blob, nothing when all are sound. Used by backup.sh and
-- restore.sh; each blob is assembled on the server, one at a time.
SELECT b.sha256
FROM blobs b
LEFT JOIN blob_chunks c ON c.sha256 = b.sha256
GROUP BY b.sha256, b.size, b.chunks
HAVING coalesce(sum(length(c.data)), 0) <> b.size
    OR count(c.seq) <> b.chunks
    OR encode(sha256(coalesce(string_agg(c.data, ''::bytea ORDER BY c.seq), ''::bytea)), 'hex') <> b.sha256
ORDER BY b.sha256;
