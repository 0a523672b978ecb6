CREATE INDEX visits_visited_at ON visits (visited_at);
