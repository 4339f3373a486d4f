"""The scale benchmark (`coopwatch bench --scale`): synthetic article sets, extract with 1 and 2 processes
and the Spark job timed at each size, a table and a plot of time versus articles."""
