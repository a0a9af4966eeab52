// A stop asked for from outside the simulation (SIGINT, SIGTERM). A signal handler may do almost
// nothing safely, so it only records the signal; the simulation looks at the record between
// events, in SimGrid's maestro context (sim/calendar.cpp).
#pragma once

namespace leptonsim::sim {

// Records that `signal` asked the run to stop. Async-signal-safe.
void request_stop(int signal) noexcept;

// Makes SIGINT and SIGTERM call request_stop (once: a second signal of the same kind has its
// default effect and ends the process at once).
void catch_stop_signals();

// SimGrid's engine installs a SIGINT handler of its own that exits at once; run_simulation calls
// this after creating the engine to put ours back, when catch_stop_signals() was called.
void catch_stop_signals_again();

// The signal that asked for a stop, or 0.
int stop_signal() noexcept;

// What the simulation does when it sees a stop request. SimGrid runs actors in contexts of its own
// that an exception cannot unwind through, so the action must not return: it cleans up and ends
// the process. Without an action, requests are only recorded (stop_signal() reports them).
using StopAction = void (*)(int signal);
void set_stop_action(StopAction action) noexcept;

// Calls the stop action when a stop was requested and an action is set.
void act_on_stop_request();

}  // namespace leptonsim::sim
