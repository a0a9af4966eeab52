#include "sim/calendar.hpp"

#include "sim/interrupt.hpp"

#include <simgrid/kernel/Timer.hpp>

namespace leptonsim::sim {
namespace {

class FunctionEvent final : public Calendar::Event {
public:
  explicit FunctionEvent(std::function<void()> action) : action_(std::move(action)) {}
  void fire(double) override { action_(); }

private:
  std::function<void()> action_;
};

}  // namespace

Calendar::~Calendar()
{
  while (!heap_.empty()) {
    if (heap_.top().owned)
      delete heap_.top().event;
    heap_.pop();
  }
}

void Calendar::at(double time, Event* event)
{
  push(time, event, false);
}

void Calendar::at(double time, std::function<void()> action)
{
  push(time, new FunctionEvent(std::move(action)), true);
}

void Calendar::push(double time, Event* event, bool owned)
{
  heap_.push(Entry{time, next_sequence_++, event, owned});
  arm_if_needed();
}

void Calendar::arm_if_needed()
{
  if (heap_.empty())
    return;
  const double next = heap_.top().time;
  if (!armed_.empty() && armed_.top() <= next)
    return;  // a timer already wakes us up in time
  armed_.push(next);
  simgrid::kernel::timer::Timer::set(next, [this, next] { run_due(next); });
}

void Calendar::run_due(double date)
{
  armed_.pop();
  act_on_stop_request();  // SIGINT or SIGTERM: ends the run here, between two batches of events
  if (before_events_)
    before_events_();
  // Run every event due at this date, including those that events schedule for the same date.
  while (!heap_.empty() && heap_.top().time <= date) {
    const Entry e = heap_.top();
    heap_.pop();
    e.event->fire(e.time);
    if (e.owned)
      delete e.event;
  }
  arm_if_needed();
}

}  // namespace leptonsim::sim
