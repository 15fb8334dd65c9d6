//! Rows of each table and the queries over them, one module per table family.
