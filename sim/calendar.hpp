// Discrete events of our own (sensor readings, timeouts, samples) on SimGrid's clock. Events sit in
// one heap ordered by (time, insertion order), so simultaneous events run first-in first-out, and
// only the earliest is armed as a SimGrid kernel timer. Everything runs in SimGrid's maestro
// context: no actor, no context switch.
#pragma once

#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

namespace leptonsim::sim {

class Calendar {
public:
  // Something that happens at a time. Not owned by the calendar.
  class Event {
  public:
    virtual ~Event() = default;
    virtual void fire(double time) = 0;
  };

  Calendar() = default;
  Calendar(const Calendar&) = delete;
  Calendar& operator=(const Calendar&) = delete;
  ~Calendar();

  void at(double time, Event* event);
  // A one-off event; the calendar owns the function until it runs.
  void at(double time, std::function<void()> action);

  size_t pending() const { return heap_.size(); }

  // Called before each batch of events runs (used to release finished activities).
  void set_before_events(std::function<void()> hook) { before_events_ = std::move(hook); }

private:
  struct Entry {
    double time;
    uint64_t sequence;
    Event* event;
    bool owned;
  };
  struct Later {
    bool operator()(const Entry& a, const Entry& b) const
    {
      return a.time != b.time ? a.time > b.time : a.sequence > b.sequence;
    }
  };
  std::priority_queue<Entry, std::vector<Entry>, Later> heap_;
  std::priority_queue<double, std::vector<double>, std::greater<>> armed_;  // dates of pending SimGrid timers
  uint64_t next_sequence_ = 0;
  std::function<void()> before_events_;

  void push(double time, Event* event, bool owned);
  void arm_if_needed();
  void run_due(double date);
};

}  // namespace leptonsim::sim
