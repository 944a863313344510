/** Cash drawers: through the printer or a serial kick box, and the simulated kick box. */
export * from './drawer';
export * from './simulated-drawer';
