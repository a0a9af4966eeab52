// SimGrid activities started from maestro (no actor waits on them): a transfer between two hosts
// or an execution on a host, whose end calls back an ActivityWaiter. The s4u handle of a finished
// activity is kept until SimGrid has finished completing it, then released.
#pragma once

#include <simgrid/forward.h>
#include <simgrid/s4u/Activity.hpp>

#include <vector>

namespace leptonsim::sim {

class ActivityWaiter {
public:
  virtual ~ActivityWaiter() = default;
  // ok is false when the activity failed (its host or a link went down).
  virtual void activity_ended(bool ok) = 0;

private:
  friend class Activities;
  simgrid::s4u::ActivityPtr activity_;
};

class Activities {
public:
  Activities();  // connects SimGrid's completion signal; one instance per simulation
  Activities(const Activities&) = delete;
  Activities& operator=(const Activities&) = delete;

  void transfer(simgrid::s4u::Host* from, simgrid::s4u::Host* to, double bytes, ActivityWaiter& waiter);
  void execute(simgrid::s4u::Host* host, double flops, ActivityWaiter& waiter);

  // Drops the handles of activities whose completion callback has returned.
  void release_finished() { finished_.clear(); }

private:
  std::vector<simgrid::s4u::ActivityPtr> finished_;
  void ended(const simgrid::s4u::Activity& activity);
};

}  // namespace leptonsim::sim
