// SimGrid activities started from maestro (no actor waits on them): transfers between two hosts,
// whose end calls back an ActivityWaiter. The s4u handle of a finished activity is kept until
// SimGrid has finished completing it, then released. A transfer that cannot start (an endpoint
// or a link of its route is down) fails at once, through the calendar, like one that breaks.
#pragma once

#include "sim/calendar.hpp"

#include <simgrid/forward.h>
#include <simgrid/s4u/Activity.hpp>

#include <functional>
#include <vector>

namespace leptonsim::sim {

class ActivityWaiter {
public:
  virtual ~ActivityWaiter() = default;
  // ok is false when the activity failed (its host or a link went down) or was cancelled.
  virtual void activity_ended(bool ok) = 0;

private:
  friend class Activities;
  simgrid::s4u::ActivityPtr activity_;
};

class Activities {
public:
  // With `check_routes`, each transfer first checks that its endpoints and route are up (SimGrid
  // 3.32 aborts on a transfer from or to a host that is off).
  Activities(Calendar& calendar, bool check_routes);
  Activities(const Activities&) = delete;
  Activities& operator=(const Activities&) = delete;

  void transfer(simgrid::s4u::Host* from, simgrid::s4u::Host* to, double bytes, ActivityWaiter& waiter);
  // Something a transfer must wait for before it starts (keys of QKD links on its route): returns
  // the wait, having reserved what it waits for.
  void set_gate(std::function<double(simgrid::s4u::Host*, simgrid::s4u::Host*, double)> gate) { gate_ = std::move(gate); }
  // Counts as egress the bytes of transfers that start from a host of one of these zones (the cloud
  // sites) towards a host of another zone.
  void meter_egress(std::vector<const simgrid::s4u::NetZone*> cloud_zones)
  {
    cloud_zones_ = std::move(cloud_zones);
  }
  double egress() const { return egress_; }  // B
  // Stops the waiter's transfer; it then ends with ok == false.
  void cancel(ActivityWaiter& waiter);
  bool in_flight(const ActivityWaiter& waiter) const { return waiter.activity_ != nullptr; }

  // Drops the handles of activities whose completion callback has returned.
  void release_finished() { finished_.clear(); }

private:
  Calendar& calendar_;
  bool check_routes_;
  std::vector<simgrid::s4u::ActivityPtr> finished_;
  std::vector<simgrid::s4u::Link*> route_;  // scratch
  std::function<double(simgrid::s4u::Host*, simgrid::s4u::Host*, double)> gate_;
  std::vector<const simgrid::s4u::NetZone*> cloud_zones_;
  double egress_ = 0;
  void ended(const simgrid::s4u::Activity& activity);
  void start(simgrid::s4u::Host* from, simgrid::s4u::Host* to, double bytes, ActivityWaiter& waiter);
  bool route_up(simgrid::s4u::Host* from, simgrid::s4u::Host* to);
};

}  // namespace leptonsim::sim
