#include "sim/interrupt.hpp"

#include <atomic>
#include <csignal>
#include <cstring>
#include <signal.h>

namespace leptonsim::sim {
namespace {

static_assert(std::atomic<int>::is_always_lock_free, "the stop flag is written from a signal handler");
std::atomic<int> requested{0};
std::atomic<StopAction> action{nullptr};
bool catching = false;

void on_signal(int signal)
{
  request_stop(signal);
}

void install()
{
  struct sigaction a;
  std::memset(&a, 0, sizeof a);
  a.sa_handler = on_signal;
  sigemptyset(&a.sa_mask);
  a.sa_flags = SA_RESETHAND;
  for (int signal : {SIGINT, SIGTERM}) {
    // A signal that has arrived already reset its handler: the next one ends the process.
    if (requested.load() != signal)
      ::sigaction(signal, &a, nullptr);
  }
}

}  // namespace

void request_stop(int signal) noexcept
{
  int none = 0;
  requested.compare_exchange_strong(none, signal);  // the first signal is the one reported
}

void catch_stop_signals()
{
  catching = true;
  install();
}

void catch_stop_signals_again()
{
  if (catching)
    install();
}

int stop_signal() noexcept
{
  return requested.load();
}

void set_stop_action(StopAction a) noexcept
{
  action.store(a);
}

void act_on_stop_request()
{
  const int signal = requested.load();
  if (signal == 0)
    return;
  if (const StopAction a = action.load())
    a(signal);
}

}  // namespace leptonsim::sim
