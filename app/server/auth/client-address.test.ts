import { describe, expect, it } from "vitest";
import { addressBucket, clientAddress, ipv6Groups } from "./client-address";

describe("client addresses", () => {
  it("come from CF-Connecting-IP only", () => {
    const request = (headers: Record<string, string>) => new Request("https://x.example/", { headers });
    expect(clientAddress(request({ "CF-Connecting-IP": "192.0.2.1", "X-Real-IP": "198.51.100.1" }))).toBe("192.0.2.1");
    expect(clientAddress(request({ "X-Real-IP": "198.51.100.1", "X-Forwarded-For": "198.51.100.2" }))).toBe("local");
  });

  it("parse every way of writing an IPv6 address", () => {
    expect(ipv6Groups("2001:db8::1")).toEqual([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
    expect(ipv6Groups("::")).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(ipv6Groups("[FE80::1%eth0]")).toEqual([0xfe80, 0, 0, 0, 0, 0, 0, 1]);
    expect(ipv6Groups("::ffff:192.0.2.1")).toEqual([0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201]);
    for (const bad of ["1::2::3", "12345::", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "g::", ":1:2:3:4:5:6:7"]) {
      expect(ipv6Groups(bad)).toBeNull();
    }
  });

  it("are counted per IPv4 address and per IPv6 /64", () => {
    expect(addressBucket("192.0.2.1")).toBe("192.0.2.1");
    expect(addressBucket("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:0DB8:0001:0002:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:db8:1:3::1")).toBe("2001:db8:1:3::/64");
    expect(addressBucket("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(addressBucket("local")).toBe("local");
  });
});
