-- en: The shop's database as v1 knows it: orders without a status. Some orders to look at.
-- ko: v1이 아는 가게의 데이터베이스: status가 없는 주문. 살펴볼 주문 몇 건.
/* #region schema */
CREATE TABLE orders (
  id         serial PRIMARY KEY,
  item       text        NOT NULL,
  quantity   integer     NOT NULL CHECK (quantity > 0),
  created_at timestamptz NOT NULL DEFAULT now()
);
/* #endregion schema */

INSERT INTO orders (item, quantity) VALUES
  ('green tea', 2),
  ('oolong', 1),
  ('barley tea', 3),
  ('jasmine tea', 1);
