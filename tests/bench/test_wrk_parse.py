from bench.wrk import parse

OUTPUT = """Running 10s test @ http://127.0.0.1:8765/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.93ms    1.23ms  21.74ms   83.46%
    Req/Sec     2.76k   244.87     3.29k    72.00%
  Latency Distribution
     50%  850.00us
     75%    3.38ms
     90%    4.24ms
     99%    1.02s
  54959 requests in 10.00s, 17.14MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 12
Requests/sec:   5491.22
Transfer/sec:      1.71MB
"""


def test_wrk_summary_is_read_with_units_and_errors():
    result = parse(OUTPUT)
    assert result.requests_per_second == 5491.22
    assert result.p50_ms == 0.85
    assert result.p99_ms == 1020.0
    assert result.requests == 54959
    assert result.errors == 15
