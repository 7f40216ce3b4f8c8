# Chapter 11 (scaling out), `minillm cost-model`: the cost model's numbers for a given FLOP rate (so no timing
# is involved: 100 GFLOP/s, chapter 06's model, 2 nodes at 10 Gb/s and 20 us: compute 2048 x 27.0 MFLOP /
# 1e11 = 553 ms, all-reduce 16,963,584 B / 1.25e9 B/s + 2 x 20 us = 13.6 ms), and its one-line refusals.
minillm_program_test(dist.cli.cost_model_json PROGRAM minillm_cli LABELS "ch11;cli"
                     ARGS cost-model --gflops 100 --model ch06 --nodes 1,2 --link-gbps 10 --json
                     EXPECT "\"allreduce_seconds\":0.01361086[0-9]*,\"compute_seconds\":0.55333[0-9]*,\"efficiency\":0.9759")
minillm_program_test(dist.cli.cost_model_table PROGRAM minillm_cli LABELS "ch11;cli"
                     ARGS cost-model --gflops 100 --model gpt2-124m --nodes 1,64 --link-gbps 100
                     EXPECT "gpt2-124m at 100 Gb/s \\(497.8 MB of gradients, 4096 tokens a rank a step\\).* 64 .*%")
minillm_program_test(dist.cli.unknown_model PROGRAM minillm_cli LABELS "ch11;cli" FAILS
                     ARGS cost-model --gflops 100 --model gpt3
                     EXPECT "unknown --model 'gpt3': the cost model knows ch06, gpt2-124m \\(or all\\)")
minillm_program_test(dist.cli.zero_nodes PROGRAM minillm_cli LABELS "ch11;cli" FAILS
                     ARGS cost-model --gflops 100 --nodes 2,0
                     EXPECT "--nodes: 0 is not a node count")
minillm_program_test(dist.cli.bad_overlap PROGRAM minillm_cli LABELS "ch11;cli" FAILS
                     ARGS cost-model --gflops 100 --overlap 2
                     EXPECT "--overlap.*from 0 to 1")

# The chapter 11 demo's smoke run: the ring's state after reduce-scatter (rank 0 owns chunk 1, all four ranks'
# values summed: 1111), each of 8 ranks sending 2 (N-1)/N = 1.75 gradients, and the cost model's picture.
minillm_program_test(ch11.demo.smoke PROGRAM ch11_demo ARGS --smoke LABELS "ch11;demo" TIMEOUT 120
                     EXPECT "rank 0: +1 +1111\\* +1101 +1001.*= 1.750 of its gradient; 2 \\(N-1\\)/N = 1.750.*ch11_cost_model_smoke.png")
