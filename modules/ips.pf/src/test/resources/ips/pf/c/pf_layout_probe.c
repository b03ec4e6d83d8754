/*
 * Prints the size, alignment and field offsets of the FreeBSD structures ips.pf encodes, and the
 * pf ioctl numbers, one fact per line: "size <struct> <n>", "align <struct> <n>",
 * "offset <struct> <field> <n>", "ioctl <NAME> <hex>". Test-only.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdalign.h>
#include "freebsd_pfvar_mirror.h"
#include "freebsd_ioccom_mirror.h"

#define SIZE(s)      printf("size %s %zu\nalign %s %zu\n", #s, sizeof(struct fbsd_##s), #s, alignof(struct fbsd_##s))
#define OFF(s, f)    printf("offset %s %s %zu\n", #s, #f, offsetof(struct fbsd_##s, f))
#define IOC(name, n, s) printf("ioctl %s 0x%lx\n", #name, FBSD_IOWR('D', n, struct fbsd_##s))

int
main(void)
{
	SIZE(pfr_addr);
	OFF(pfr_addr, pfra_u);
	OFF(pfr_addr, pfra_af);
	OFF(pfr_addr, pfra_net);
	OFF(pfr_addr, pfra_not);
	OFF(pfr_addr, pfra_fback);

	SIZE(pfr_table);
	OFF(pfr_table, pfrt_anchor);
	OFF(pfr_table, pfrt_name);
	OFF(pfr_table, pfrt_flags);
	OFF(pfr_table, pfrt_fback);

	SIZE(pfioc_table);
	OFF(pfioc_table, pfrio_table);
	OFF(pfioc_table, pfrio_buffer);
	OFF(pfioc_table, pfrio_esize);
	OFF(pfioc_table, pfrio_size);
	OFF(pfioc_table, pfrio_size2);
	OFF(pfioc_table, pfrio_nadd);
	OFF(pfioc_table, pfrio_ndel);
	OFF(pfioc_table, pfrio_nchange);
	OFF(pfioc_table, pfrio_flags);
	OFF(pfioc_table, pfrio_ticket);

	SIZE(pf_addr);
	SIZE(pf_addr_wrap);
	OFF(pf_addr_wrap, v);
	OFF(pf_addr_wrap, v.a.addr);
	OFF(pf_addr_wrap, v.a.mask);
	OFF(pf_addr_wrap, p);
	OFF(pf_addr_wrap, type);
	OFF(pf_addr_wrap, iflags);

	SIZE(pf_rule_addr);
	OFF(pf_rule_addr, addr);
	OFF(pf_rule_addr, port);
	OFF(pf_rule_addr, neg);
	OFF(pf_rule_addr, port_op);

	SIZE(pf_state_cmp);
	OFF(pf_state_cmp, id);
	OFF(pf_state_cmp, creatorid);
	OFF(pf_state_cmp, direction);
	OFF(pf_state_cmp, pad);

	SIZE(pfioc_state_kill);
	OFF(pfioc_state_kill, psk_pfcmp);
	OFF(pfioc_state_kill, psk_af);
	OFF(pfioc_state_kill, psk_proto);
	OFF(pfioc_state_kill, psk_src);
	OFF(pfioc_state_kill, psk_dst);
	OFF(pfioc_state_kill, psk_ifname);
	OFF(pfioc_state_kill, psk_label);
	OFF(pfioc_state_kill, psk_killed);

	SIZE(pfioc_nv);
	OFF(pfioc_nv, data);
	OFF(pfioc_nv, len);
	OFF(pfioc_nv, size);

	IOC(DIOCKILLSTATES, 41, pfioc_state_kill);
	IOC(DIOCKILLSTATESNV, 41, pfioc_nv);
	IOC(DIOCRADDTABLES, 61, pfioc_table);
	IOC(DIOCRDELTABLES, 62, pfioc_table);
	IOC(DIOCRGETTABLES, 63, pfioc_table);
	IOC(DIOCRCLRADDRS, 66, pfioc_table);
	IOC(DIOCRADDADDRS, 67, pfioc_table);
	IOC(DIOCRDELADDRS, 68, pfioc_table);
	IOC(DIOCRSETADDRS, 69, pfioc_table);
	IOC(DIOCRGETADDRS, 70, pfioc_table);
	return 0;
}
