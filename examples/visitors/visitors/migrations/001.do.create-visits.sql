CREATE TABLE visits (
  id bigserial PRIMARY KEY,
  user_id text NOT NULL,
  visited_at timestamptz NOT NULL DEFAULT now()
);
