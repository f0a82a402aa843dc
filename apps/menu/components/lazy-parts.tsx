// What the menu fetches right after its first screen, as one chunk: "Your orders" with its cards,
// and the cart.
export { YourOrders } from './your-orders'
export { addToCart, CartSection } from './cart-panel'
