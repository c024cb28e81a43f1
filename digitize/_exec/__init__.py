"""One wrapper module per external program, each turning its failures into sohoa errors."""
