/*
 * The ioctl request encoding of FreeBSD's sys/sys/ioccom.h, with an fbsd_ prefix (Linux's
 * <sys/ioctl.h> defines _IOWR differently). Test-only.
 */
#ifndef FREEBSD_IOCCOM_MIRROR_H
#define FREEBSD_IOCCOM_MIRROR_H

#define	FBSD_IOCPARM_SHIFT	13
#define	FBSD_IOCPARM_MASK	((1 << FBSD_IOCPARM_SHIFT) - 1)
#define	FBSD_IOC_VOID		0x20000000UL
#define	FBSD_IOC_OUT		0x40000000UL
#define	FBSD_IOC_IN		0x80000000UL
#define	FBSD_IOC_INOUT		(FBSD_IOC_IN|FBSD_IOC_OUT)

#define	FBSD_IOC(inout,group,num,len)	((unsigned long) \
	((inout) | (((len) & FBSD_IOCPARM_MASK) << 16) | ((group) << 8) | (num)))
#define	FBSD_IOWR(g,n,t)	FBSD_IOC(FBSD_IOC_INOUT,	(g), (n), sizeof(t))

#endif
