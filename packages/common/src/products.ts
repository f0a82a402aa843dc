/** The menu. Browser-safe: the sites render it and the workflow prices orders from it. */
export interface Product {
  id: number
  name: string
  /** Price in cents, so money never passes through floating point. */
  cents: number
  description: string
  /** Site-relative path of the dish's artwork (each site serves its own SVGs). */
  image: string
}

export const products: readonly Product[] = [
  {
    id: 1,
    name: 'Swordfish',
    cents: 3500,
    description: 'Grilled swordfish steak with lemon and capers.',
    image: '/dishes/swordfish.svg',
  },
  {
    id: 2,
    name: 'Burrata',
    cents: 2000,
    description: 'Creamy burrata, heirloom tomatoes and basil.',
    image: '/dishes/burrata.svg',
  },
  {
    id: 3,
    name: 'Potato',
    cents: 1500,
    description: 'A crisp baked potato with chives and sour cream.',
    image: '/dishes/potato.svg',
  },
  {
    id: 4,
    name: 'Poke',
    cents: 2000,
    description: 'Ahi tuna poke bowl with rice, avocado and sesame.',
    image: '/dishes/poke.svg',
  },
]

export function getProductById(id: number): Product | undefined {
  return products.find((product) => product.id === id)
}

/** "$20.00" for 2000. */
export function formatCents(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`
}
