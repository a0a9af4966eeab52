#include "sim/quantum.hpp"

#include "sim/cluster.hpp"

#include <simgrid/s4u/Engine.hpp>

#include <algorithm>
#include <cmath>

namespace leptonsim::sim {

CalibrationSchedule::CalibrationSchedule(const models::Scenario& scenario, Calendar& calendar, Cluster& cluster,
                                         const bool& done)
    : scenario_(scenario), calendar_(calendar), cluster_(cluster), done_(done)
{
}

void CalibrationSchedule::start()
{
  for (const auto& w : scenario_.platform.qpu_spec.calibration)
    window(w, w.start);
}

void CalibrationSchedule::window(const models::QpuSpec::Window& w, double start)
{
  const size_t qpu = *scenario_.platform.qpu;
  calendar_.at(start, [this, qpu, &w, start] {
    if (done_)
      return;
    cluster_.pause(qpu);
    calendar_.at(start + w.duration, [this, qpu] { cluster_.resume(qpu); });
    if (w.every > 0)
      window(w, start + w.every);
  });
}

QkdNetwork::QkdNetwork(const models::Scenario& scenario, const models::Topology& topology,
                       const SimPlatform& platform)
    : scenario_(scenario), topology_(topology)
{
  const auto& p = scenario.platform;
  bucket_of_link_.assign(p.links.size(), -1);
  for (size_t l = 0; l < p.links.size(); ++l) {
    if (!p.links[l].qkd)
      continue;
    Bucket b;
    b.link               = l;
    b.spec               = &*p.links[l].qkd;
    b.level              = b.spec->initial;
    b.result.name        = p.links[l].name;
    b.result.mode        = b.spec->mode == models::QkdSpec::Mode::otp ? "otp" : "aes";
    b.result.key_rate    = b.spec->key_rate;
    bucket_of_link_[l]   = static_cast<int>(links_.size());
    links_.push_back(b);
  }
  for (size_t n = 0; n < p.nodes.size(); ++n)
    site_of_[platform.nodes[n]] = p.nodes[n].site;
  for (size_t s = 0; s < p.sites.size(); ++s)
    site_of_[platform.switches[s]] = s;
}

double QkdNetwork::take(Bucket& b, double now, double bits)
{
  // Refill since the last update; a pool never holds more than its size.
  b.level = std::min(b.spec->pool, b.level + b.spec->key_rate * (now - b.last));
  b.last  = now;
  b.level -= bits;
  b.result.key_consumed += bits;
  return b.level >= 0 ? 0.0 : -b.level / b.spec->key_rate;
}

double QkdNetwork::reserve(simgrid::s4u::Host* from, simgrid::s4u::Host* to, double bytes)
{
  const auto a = site_of_.find(from);
  const auto z = site_of_.find(to);
  if (a == site_of_.end() || z == site_of_.end() || a->second == z->second)
    return 0.0;
  const double now = simgrid::s4u::Engine::get_clock();
  double wait      = 0;
  for (const auto& hop : topology_.site_path(a->second, z->second)) {
    const int index = bucket_of_link_[hop.index];
    if (index < 0)
      continue;
    Bucket& b = links_[static_cast<size_t>(index)];
    double w = 0;
    if (b.spec->mode == models::QkdSpec::Mode::otp) {
      w = bytes > 0 ? take(b, now, 8.0 * bytes) : 0.0;
    } else {
      // AES: a fresh 256-bit key when the current one has encrypted enough or lived long enough.
      const bool by_bytes = b.spec->rekey_bytes > 0 && b.key_bytes + bytes > b.spec->rekey_bytes;
      const bool by_time  = b.spec->rekey_interval > 0 && now - b.key_time >= b.spec->rekey_interval;
      if (!b.keyed || by_bytes || by_time) {
        const double keys = b.spec->rekey_bytes > 0 ? std::max(1.0, std::ceil(bytes / b.spec->rekey_bytes)) : 1.0;
        b.result.rekeys += static_cast<uint64_t>(keys);
        b.keyed     = true;
        b.key_time  = now;
        b.key_bytes = 0;
        b.key_ready = now + take(b, now, 256.0 * keys);
      }
      // Data under a key waits until that key exists, whichever transfer drew it.
      w = std::max(0.0, b.key_ready - now);
      b.key_bytes += bytes;
    }
    if (b.result.transfers == 0)
      b.result.first_request = now;
    b.result.last_release = std::max(b.result.last_release, now + w);
    b.result.stall += w;
    b.result.encrypted += bytes;
    ++b.result.transfers;
    wait = std::max(wait, w);
  }
  return wait;
}

std::vector<QkdLinkResult> QkdNetwork::results(double)
{
  std::vector<QkdLinkResult> out;
  for (const auto& b : links_)
    out.push_back(b.result);
  return out;
}

}  // namespace leptonsim::sim
