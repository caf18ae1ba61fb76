%% Idle memory: the same program as bench:idle in _index.yaml. `idle:main(["N"])` starts N sleepers that
%% report ready and wait in receive, then prints erlang:memory(processes) before and after, in bytes:
%% "N Before After".
-module(idle).
-export([main/1]).

main([Arg]) ->
    N = list_to_integer(Arg),
    Me = self(),
    garbage_collect(),
    Before = erlang:memory(processes),
    spawn_sleepers(Me, N),
    wait(N),
    garbage_collect(),
    After = erlang:memory(processes),
    io:format("~B ~B ~B~n", [N, Before, After]),
    halt(0).

spawn_sleepers(_Me, 0) -> ok;
spawn_sleepers(Me, K) ->
    spawn(fun() -> sleeper(Me) end),
    spawn_sleepers(Me, K - 1).

sleeper(Parent) ->
    Parent ! ready,
    receive stop -> ok end.

wait(0) -> ok;
wait(K) -> receive ready -> wait(K - 1) end.
