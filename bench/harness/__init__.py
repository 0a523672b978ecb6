"""Side-by-side HTTP benchmark harness: start each server in turn, check it, drive it with wrk."""
