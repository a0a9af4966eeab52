#include "tools/leptonsim/interrupt.hpp"

#include "sim/interrupt.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <signal.h>

namespace leptonsim::cli {
namespace {

std::filesystem::path staging_folder;

std::string message(int signal)
{
  return fmt::format("interrupted by {}: stopped, no results written", signal_name(signal));
}

// In SimGrid's maestro context, between two batches of events: nothing to unwind to, so the
// staging folder goes here and the process ends without running SimGrid's teardown.
[[noreturn]] void stop_simulation(int signal)
{
  std::error_code ec;
  if (!staging_folder.empty())
    std::filesystem::remove_all(staging_folder, ec);
  std::fprintf(stderr, "leptonsim: %s\n", message(signal).c_str());
  std::fflush(nullptr);
  std::_Exit(128 + signal);
}

}  // namespace

Interrupted::Interrupted(int signal) : std::runtime_error(message(signal)), signal_(signal) {}

std::string signal_name(int signal)
{
  const char* abbrev = ::sigabbrev_np(signal);
  return abbrev ? fmt::format("SIG{}", abbrev) : fmt::format("signal {}", signal);
}

void handle_stop_signals()
{
  sim::catch_stop_signals();
  sim::set_stop_action(stop_simulation);
}

void throw_if_interrupted()
{
  if (const int signal = sim::stop_signal())
    throw Interrupted(signal);
}

void remove_on_interrupt(const std::filesystem::path& folder)
{
  staging_folder = folder;
}

}  // namespace leptonsim::cli
