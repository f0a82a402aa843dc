// What the menu fetches right after its first screen, as one chunk: the order cards and the cart.
export { OrderLine } from './order-line'
export { addToCart, CartSection } from './cart-panel'
