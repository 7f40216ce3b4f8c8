# `minillm plot` run as a learner would: a small loss log written by the test itself, then a bad CSV.
set(plot_cli_dir "${CMAKE_BINARY_DIR}/tests/plot-cli")
add_test(NAME plot.cli.csv_to_png
         COMMAND sh -c "mkdir -p \"$1\" && rm -f \"$1/loss.png\" && printf 'step,train_loss,val_loss\\n1,4.2,4.3\\n2,3.1,\\n3,2.6,2.9\\n4,2.2,\\n' > \"$1/loss.csv\" && \"$0\" plot \"$1/loss.csv\" --out \"$1/loss.png\" --title 'Loss' --logy && test -s \"$1/loss.png\" && echo 'PNG written'"
                 $<TARGET_FILE:minillm_cli> "${plot_cli_dir}")
set_tests_properties(plot.cli.csv_to_png PROPERTIES LABELS "plot;cli"
                     PASS_REGULAR_EXPRESSION "Plotted 2 series \\(6 points\\) from .*loss.csv to .*loss.png \\(log y axis\\)\\.\nPNG written")
# A cell that is not a number: a non-zero exit and one line saying where (sh prints the exit status).
add_test(NAME plot.cli.bad_csv_is_one_line_error
         COMMAND sh -c "mkdir -p \"$1\" && printf 'step,loss\\n1,2.5\\n2,oops\\n' > \"$1/bad.csv\"; \"$0\" plot \"$1/bad.csv\" --out \"$1/bad.png\" 2>&1; echo \"exit status $?\""
                 $<TARGET_FILE:minillm_cli> "${plot_cli_dir}")
set_tests_properties(plot.cli.bad_csv_is_one_line_error PROPERTIES LABELS "plot;cli"
                     PASS_REGULAR_EXPRESSION "^error: line 3, column 'loss' of the CSV is 'oops', which is not a finite number\nexit status [1-9]")
