-- The audit log of visitor writes (MariaDB/MySQL), newest first by id.
CREATE TABLE IF NOT EXISTS audit (
  id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  user_id VARCHAR(40) NOT NULL,
  action VARCHAR(10) NOT NULL,
  message VARCHAR(140) NULL,
  at DATETIME(6) NOT NULL,
  INDEX audit_user (user_id)
) CHARACTER SET utf8mb4;
