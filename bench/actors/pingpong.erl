%% Round trips: the same program as bench:pingpong in _index.yaml. `pingpong:main(["N"])` spawns a pong
%% process and exchanges N ping/pong message pairs with it, prints the sum of the replies and halts.
-module(pingpong).
-export([main/1]).

main([Arg]) ->
    N = list_to_integer(Arg),
    Pong = spawn(fun pong/0),
    Sum = loop(Pong, 1, N, 0),
    Pong ! stop,
    io:format("~B~n", [Sum]),
    halt(0).

loop(_Pong, I, N, Sum) when I > N -> Sum;
loop(Pong, I, N, Sum) ->
    Pong ! {ping, self(), I},
    receive {pong, V} -> loop(Pong, I + 1, N, Sum + V) end.

pong() ->
    receive
        {ping, From, V} -> From ! {pong, V}, pong();
        stop -> ok
    end.
