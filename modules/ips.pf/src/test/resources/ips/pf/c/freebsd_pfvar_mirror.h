/*
 * The FreeBSD structures ips.pf writes, declared as sys/net/pfvar.h (FreeBSD 13/14, amd64 and
 * arm64) declares them, with FreeBSD's typedefs spelled as fixed-width types so that gcc on Linux
 * lays them out as FreeBSD's cc does (both LP64, same alignment rules):
 *   u_int8_t -> uint8_t, u_int16_t -> uint16_t, u_int32_t / u_int -> uint32_t,
 *   sa_family_t -> uint8_t (FreeBSD's is 8 bits), size_t -> uint64_t, pointers stay pointers.
 * Names carry an fbsd_ prefix so nothing clashes with Linux headers.
 * Test-only: compiled by LayoutsMatchFreeBsdHeadersTest.
 */
#ifndef FREEBSD_PFVAR_MIRROR_H
#define FREEBSD_PFVAR_MIRROR_H

#include <stdint.h>

#define FBSD_MAXPATHLEN          1024   /* sys/param.h */
#define FBSD_IFNAMSIZ            16     /* net/if.h */
#define FBSD_PF_TABLE_NAME_SIZE  32     /* pfvar.h */
#define FBSD_PF_RULE_LABEL_SIZE  64     /* pfvar.h */

/* netinet/in.h */
struct fbsd_in_addr {
	uint32_t s_addr;
};

/* netinet6/in6.h */
struct fbsd_in6_addr {
	union {
		uint8_t  __u6_addr8[16];
		uint16_t __u6_addr16[8];
		uint32_t __u6_addr32[4];
	} __u6_addr;
};

/* pfvar.h: struct pfr_addr */
struct fbsd_pfr_addr {
	union {
		struct fbsd_in_addr  _pfra_ip4addr;
		struct fbsd_in6_addr _pfra_ip6addr;
	}		 pfra_u;
	uint8_t		 pfra_af;
	uint8_t		 pfra_net;
	uint8_t		 pfra_not;
	uint8_t		 pfra_fback;
};

/* pfvar.h: struct pfr_table */
struct fbsd_pfr_table {
	char		 pfrt_anchor[FBSD_MAXPATHLEN];
	char		 pfrt_name[FBSD_PF_TABLE_NAME_SIZE];
	uint32_t	 pfrt_flags;
	uint8_t		 pfrt_fback;
};

/* pfvar.h: struct pfioc_table */
struct fbsd_pfioc_table {
	struct fbsd_pfr_table	 pfrio_table;
	void			*pfrio_buffer;
	int			 pfrio_esize;
	int			 pfrio_size;
	int			 pfrio_size2;
	int			 pfrio_nadd;
	int			 pfrio_ndel;
	int			 pfrio_nchange;
	int			 pfrio_flags;
	uint32_t		 pfrio_ticket;
};

/* pfvar.h: struct pf_addr */
struct fbsd_pf_addr {
	union {
		struct fbsd_in_addr	v4;
		struct fbsd_in6_addr	v6;
		uint8_t			addr8[16];
		uint16_t		addr16[8];
		uint32_t		addr32[4];
	} pfa;
};

/* pfvar.h: struct pf_addr_wrap (p.dyn / p.tbl are kernel pointers) */
struct fbsd_pf_addr_wrap {
	union {
		struct {
			struct fbsd_pf_addr	 addr;
			struct fbsd_pf_addr	 mask;
		}			 a;
		char			 ifname[FBSD_IFNAMSIZ];
		char			 tblname[FBSD_PF_TABLE_NAME_SIZE];
	}			 v;
	union {
		void			*dyn;
		void			*tbl;
		int			 dyncnt;
		int			 tblcnt;
	}			 p;
	uint8_t			 type;
	uint8_t			 iflags;
};

/* pfvar.h: struct pf_rule_addr */
struct fbsd_pf_rule_addr {
	struct fbsd_pf_addr_wrap addr;
	uint16_t		 port[2];
	uint8_t			 neg;
	uint8_t			 port_op;
};

/* pfvar.h: struct pf_state_cmp */
struct fbsd_pf_state_cmp {
	uint64_t		 id;
	uint32_t		 creatorid;
	uint8_t			 direction;
	uint8_t			 pad[3];
};

/* pfvar.h (FreeBSD 13, 14): struct pfioc_state_kill */
struct fbsd_pfioc_state_kill {
	struct fbsd_pf_state_cmp psk_pfcmp;
	uint8_t			 psk_af;
	int			 psk_proto;
	struct fbsd_pf_rule_addr psk_src;
	struct fbsd_pf_rule_addr psk_dst;
	char			 psk_ifname[FBSD_IFNAMSIZ];
	char			 psk_label[FBSD_PF_RULE_LABEL_SIZE];
	uint32_t		 psk_killed;
};

/* pfvar.h: struct pfioc_nv */
struct fbsd_pfioc_nv {
	void			*data;
	uint64_t		 len;	/* size_t */
	uint64_t		 size;	/* size_t */
};

#endif
