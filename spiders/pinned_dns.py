"""The Scrapy child's name resolution: connect only to the addresses the SSRF guard checked.

GuardMiddleware (radar.spiders.newsroom) resolves each request's host and refuses internal
addresses. Were Scrapy to resolve the host again when it connects, a DNS server answering
a public address to the check and an internal one a moment later (DNS rebinding) would
lead the crawler into the internal network. This resolver, installed on the child's
reactor through TWISTED_DNS_RESOLVER, asks no DNS server: it answers with the addresses the
guard accepted for that host, as radar's own fetcher connects to the addresses it checked
(radar.spiders.http.GuardedBackend).
"""
import ipaddress
import logging
from collections.abc import Sequence
from typing import Any, Optional

from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import IAddress, IHostnameResolver, IHostResolution
from zope.interface import implementer

logger = logging.getLogger(__name__)

# host (lower case) -> the addresses its last check accepted. The reactor runs the guard and
# the resolver on one thread; a newer check of a host replaces the older one, and either was
# checked. One child process crawls a bounded set of sites, so the map stays small.
_checked: dict[str, list[str]] = {}


def remember(host: str, addresses: list[str]) -> None:
    """Record the addresses the guard accepted for `host`: the ones the next connection uses."""
    _checked[host.lower()] = addresses


@implementer(IHostResolution)
class _Resolution:
    def __init__(self, name: str):
        self.name = name

    def cancel(self) -> None:  # the answer is given at once; nothing to cancel
        pass


@implementer(IHostnameResolver)
class PinnedResolver:
    """An IHostnameResolver answering from the guard's checks (a host never checked gets no
    address, so the request fails instead of reaching an unchecked one)."""

    def __init__(self, reactor: Any):
        self.reactor = reactor

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> "PinnedResolver":
        return cls(reactor)

    def install_on_reactor(self) -> None:
        self.reactor.installNameResolver(self)

    # The receiver is Twisted's IResolutionReceiver; zope interfaces are not types mypy can check.
    def resolveHostName(self, resolutionReceiver: Any, hostName: str, portNumber: int = 0,
                        addressTypes: Optional[Sequence[type[IAddress]]] = None,
                        transportSemantics: str = "TCP") -> Any:
        resolution = _Resolution(hostName)
        resolutionReceiver.resolutionBegan(resolution)
        addresses = _checked.get(hostName.lower())
        if addresses is None:
            logger.warning("no checked address for %s; not connecting", hostName)
        for address in addresses or []:
            kind = IPv6Address if ipaddress.ip_address(address.split("%", 1)[0]).version == 6 else IPv4Address
            if addressTypes is None or kind in addressTypes:
                resolutionReceiver.addressResolved(kind("TCP", address, portNumber))
        resolutionReceiver.resolutionComplete()
        return resolution
