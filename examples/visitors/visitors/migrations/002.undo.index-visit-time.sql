DROP INDEX visits_visited_at;
