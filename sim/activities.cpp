#include "sim/activities.hpp"

#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>

#include <algorithm>
#include <cmath>

namespace leptonsim::sim {

Activities::Activities(Calendar& calendar, bool check_routes) : calendar_(calendar), check_routes_(check_routes)
{
  simgrid::s4u::Activity::on_completion_cb([this](const simgrid::s4u::Activity& a) { ended(a); });
}

bool Activities::route_up(simgrid::s4u::Host* from, simgrid::s4u::Host* to)
{
  if (!from->is_on() || !to->is_on())
    return false;
  route_.clear();
  double latency = 0;
  from->route_to(to, route_, &latency);
  for (const auto* link : route_)
    if (!link->is_on())
      return false;
  return true;
}

void Activities::transfer(simgrid::s4u::Host* from, simgrid::s4u::Host* to, double bytes, ActivityWaiter& waiter)
{
  if (gate_) {
    const double wait = gate_(from, to, bytes);
    if (wait > 0) {
      calendar_.at(simgrid::s4u::Engine::get_clock() + wait,
                   [this, from, to, bytes, &waiter] { start(from, to, bytes, waiter); });
      return;
    }
  }
  start(from, to, bytes, waiter);
}

void Activities::start(simgrid::s4u::Host* from, simgrid::s4u::Host* to, double bytes, ActivityWaiter& waiter)
{
  if (check_routes_ && !route_up(from, to)) {
    calendar_.at(simgrid::s4u::Engine::get_clock(), [&waiter] { waiter.activity_ended(false); });
    return;
  }
  if (!cloud_zones_.empty()) {
    const auto* zone = from->get_englobing_zone();
    if (zone != to->get_englobing_zone() &&
        std::find(cloud_zones_.begin(), cloud_zones_.end(), zone) != cloud_zones_.end())
      egress_ += bytes;
  }
  auto comm = simgrid::s4u::Comm::sendto_init(from, to);
  comm->set_payload_size(static_cast<uint64_t>(std::llround(bytes)));
  comm->set_data(&waiter);
  waiter.activity_ = comm;
  comm->start();
}

void Activities::cancel(ActivityWaiter& waiter)
{
  if (waiter.activity_)
    waiter.activity_->cancel();  // ends through ended() with the CANCELED state
}

void Activities::ended(const simgrid::s4u::Activity& activity)
{
  // The previous activity's completion has fully returned by now: its handle can go.
  finished_.clear();
  auto* waiter = activity.get_data<ActivityWaiter>();
  if (waiter == nullptr)
    return;
  // A cancelled transfer is reported twice (by the cancel, then when SimGrid reaps its network
  // action): the waiter hears only the first.
  const_cast<simgrid::s4u::Activity&>(activity).set_data(nullptr);
  // Keep the handle alive until SimGrid is done with this activity (it still touches it after the
  // signal returns).
  finished_.push_back(std::move(waiter->activity_));
  waiter->activity_ended(activity.get_state() == simgrid::s4u::Activity::State::FINISHED);
}

}  // namespace leptonsim::sim
