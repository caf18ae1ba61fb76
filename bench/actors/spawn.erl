%% Spawns: the same programs as bench:spawn and bench:spawn_alive in _index.yaml.
%% `spawn:main(["N"])`: N workers that each do a little arithmetic, report to the parent and exit.
%% `spawn:alive(["N"])`: N sleepers that report ready and wait in receive (all alive at once), then are
%% stopped one by one and each confirms.
-module(spawn).
-export([main/1, alive/1]).

main([Arg]) ->
    N = list_to_integer(Arg),
    Me = self(),
    spawn_workers(Me, 1, N),
    Sum = collect(N, 0),
    io:format("~B~n", [Sum]),
    halt(0).

spawn_workers(_Me, I, N) when I > N -> ok;
spawn_workers(Me, I, N) ->
    spawn(fun() -> Me ! {done, I * 2 + 1} end),
    spawn_workers(Me, I + 1, N).

collect(0, Sum) -> Sum;
collect(K, Sum) -> receive {done, V} -> collect(K - 1, Sum + V) end.

alive([Arg]) ->
    N = list_to_integer(Arg),
    Me = self(),
    Pids = [spawn(fun() -> sleeper(Me) end) || _ <- lists:seq(1, N)],
    wait(ready, N),
    [P ! stop || P <- Pids],
    wait(done, N),
    io:format("~B~n", [N]),
    halt(0).

sleeper(Parent) ->
    Parent ! ready,
    receive stop -> Parent ! done end.

wait(_Tag, 0) -> ok;
wait(Tag, K) -> receive Tag -> wait(Tag, K - 1) end.
