#include "sim/activities.hpp"

#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Exec.hpp>

#include <cmath>

namespace leptonsim::sim {

Activities::Activities()
{
  simgrid::s4u::Activity::on_completion_cb([this](const simgrid::s4u::Activity& a) { ended(a); });
}

void Activities::transfer(simgrid::s4u::Host* from, simgrid::s4u::Host* to, double bytes, ActivityWaiter& waiter)
{
  auto comm = simgrid::s4u::Comm::sendto_init(from, to);
  comm->set_payload_size(static_cast<uint64_t>(std::llround(bytes)));
  comm->set_data(&waiter);
  waiter.activity_ = comm;
  comm->start();
}

void Activities::execute(simgrid::s4u::Host* host, double flops, ActivityWaiter& waiter)
{
  auto exec = simgrid::s4u::Exec::init();
  exec->set_flops_amount(flops);
  exec->set_host(host);
  exec->set_data(&waiter);
  waiter.activity_ = exec;
  exec->start();
}

void Activities::ended(const simgrid::s4u::Activity& activity)
{
  // The previous activity's completion has fully returned by now: its handle can go.
  finished_.clear();
  auto* waiter = activity.get_data<ActivityWaiter>();
  if (waiter == nullptr)
    return;
  // Keep the handle alive until SimGrid is done with this activity (it still touches it after the
  // signal returns).
  finished_.push_back(std::move(waiter->activity_));
  waiter->activity_ended(activity.get_state() == simgrid::s4u::Activity::State::FINISHED);
}

}  // namespace leptonsim::sim
